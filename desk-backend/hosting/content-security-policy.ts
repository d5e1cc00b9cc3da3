// Content-Security-Policy both shells send with the desk page (the page also carries most of
// it in a meta tag; frame-ancestors only works as a header).
//
// worker-src blob: the Excel export zips its workbook in a worker that fflate (under
// write-excel-file) starts from a blob: URL the page's own script made. Only workers may come
// from blob:; scripts stay 'self', and a blob: URL can only be minted by script already running here.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; worker-src blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

// Ports and sizes of the end-to-end environment, away from the dev defaults (4310/4320).
export const E2E_API_URL = 'http://127.0.0.1:4410';
export const E2E_WEB_URL = 'http://127.0.0.1:4420';
export const E2E_CUSTOMERS = 2000;
export const E2E_CTI_KEY = 'demo-cti-key';

// The CSV reader over files larger than one read chunk: records cut by a chunk boundary (inside a
// line, inside a quoted cell with line breaks, between \r and \n) come out whole, numbered as a
// spreadsheet numbers them, each with its own text.
import { afterAll, describe, expect, it } from 'vitest';
import { openTable, tableRowBatches, type TableRow } from '../../server/import/read-table';
import { scratchDir } from './support';

const scratch = scratchDir('clm-read-table-');
afterAll(() => scratch.remove());

async function readAll(path: string): Promise<{ header: string[]; rows: TableRow[] }> {
  const table = await openTable(path, { encoding: 'auto', delimiter: undefined });
  const rows: TableRow[] = [];
  for await (const batch of tableRowBatches(table)) rows.push(...batch);
  return { header: table.header, rows };
}

describe('reading a CSV file larger than a read chunk', () => {
  it.each([
    ['\n', 'LF'],
    ['\r\n', 'CRLF'],
  ])('keeps every record whole across chunk boundaries (%j)', async (newline) => {
    const count = 30_000;
    // Each record is two lines (a quoted cell holds a line break) of varying length, about 1.9 MB in all.
    const line = (i: number) => `C${i},"王${'五'.repeat(i % 17)}, ""甲""${newline}第${i}行",${i * 3}`;
    const lines = ['id,note,amount'];
    for (let i = 0; i < count; i++) {
      lines.push(line(i));
      if (i === 20_000) lines.push('');
    }
    const { header, rows } = await readAll(scratch.file(`big-${newline.length}.csv`, `\uFEFF${lines.join(newline)}${newline}`));

    expect(header).toEqual(['id', 'note', 'amount']);
    expect(rows).toHaveLength(count);
    rows.forEach((row, i) => {
      expect(row.cells).toEqual([`C${i}`, `王${'五'.repeat(i % 17)}, "甲"${newline}第${i}行`, String(i * 3)]);
      // The blank line after record 20,000 keeps its row number, as a spreadsheet shows it.
      expect(row.row).toBe(i + 2 + (i > 20_000 ? 1 : 0));
      expect(row.raw).toBe(line(i));
    });
  });

  it('refuses a quote left open, naming the row, whatever the chunk', async () => {
    const body = Array.from({ length: 80_000 }, (_, i) => `C${i},note ${i},${i}`);
    body[75_000] = 'C75000,"never closed,1';
    const path = scratch.file('open-quote.csv', `id,note,amount\n${body.join('\n')}\n`);
    await expect(readAll(path)).rejects.toThrow(/is not a readable CSV file at row 75002/);
  });
});

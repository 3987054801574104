/** What a bench section hands back: markdown for RESULTS.md and a few lines for the terminal. */
export interface SectionResult {
  title: string;
  markdown: string[];
  summary: string[];
}

export function table(header: string[], rows: (string | number)[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/**
 * The notebooks shipped with ALMReady (`notebooks/examples/*.md`): what `GET /api/notebook-examples`
 * lists, what `POST /:wid/notebooks {example}` copies into a workspace and what the demo workspace
 * starts with. Each file is read and checked once, at first use; a broken file is a server fault
 * (the examples' tests open every one), never a half-read notebook.
 */
import { readFileSync } from 'node:fs';
import { parseNotebookText, type NotebookDocument } from '@almready/notebooks';
import { repoRoot } from '../runtime-paths.ts';

/** The examples in the order they are listed: the report first, then the views behind it. */
export const EXAMPLE_IDS = ['irrbb-report', 'balance-explorer', 'custom-scenario', 'repricing-gap'] as const;
export type ExampleId = (typeof EXAMPLE_IDS)[number];

export const EXAMPLES_DIR = new URL('notebooks/examples/', repoRoot);

export interface NotebookExample {
  id: ExampleId;
  /** the file's title: the name a notebook made from it gets by default */
  name: string;
  description: string;
  document: NotebookDocument;
}

let cache: readonly NotebookExample[] | undefined;

function load(id: ExampleId): NotebookExample {
  const text = readFileSync(new URL(`${id}.md`, EXAMPLES_DIR), 'utf8');
  const parsed = parseNotebookText(text);
  if (!parsed.ok) throw new Error(`shipped notebook ${id}.md is invalid: ${parsed.reason}`);
  const { document } = parsed;
  return { id, name: document.title ?? id, description: document.description ?? '', document };
}

export function notebookExamples(): readonly NotebookExample[] {
  cache ??= EXAMPLE_IDS.map(load);
  return cache;
}

export function notebookExample(id: string): NotebookExample | undefined {
  if (!(EXAMPLE_IDS as readonly string[]).includes(id)) return undefined;
  return cache?.find((e) => e.id === id) ?? load(id as ExampleId);
}

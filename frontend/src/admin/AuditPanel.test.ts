import { expect, it } from 'vitest';
import { fixtures } from '../api/fixtures/index.ts';
import { workspaceLabel } from './AuditPanel.tsx';

it('names the workspace of an event, with the id only when no name is known', () => {
  const created = fixtures.audit.find((e) => e.action === 'run.start');
  expect(created?.workspaceName).toBe(fixtures.workspace.name);
  expect(workspaceLabel(created)).toBe(fixtures.workspace.name);
  expect(workspaceLabel({ workspaceId: '0123456789abcdef', workspaceName: null })).toBe('(unnamed) 01234567');
  expect(workspaceLabel({ workspaceId: null, workspaceName: null })).toBe('');
});

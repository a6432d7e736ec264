/** `GET /api/notebook-examples`: the shipped notebooks any signed-in user may start a notebook from. */
import { RouteTable, SIGNED_IN } from '../http/route-table.ts';
import { notebookExamples } from './catalog.ts';

export function notebookExampleRoutes(): RouteTable {
  return new RouteTable().get('/', { access: SIGNED_IN }, (ctx) => {
    ctx.body = { examples: notebookExamples().map(({ id, name, description }) => ({ id, name, description })) };
  });
}

/**
 * A `ts` cell through the TypeScript compiler's parser (no type checking): `export`ed top-level
 * names are its outputs; other top-level names stay local to the cell; identifiers it reads that
 * no enclosing scope declares are its inputs, as Observable Framework's `parse.ts` finds them.
 * Type positions are skipped (types are erased before the cell runs), and so are `declare`
 * statements, which is how a cell types another cell's output without defining it.
 */
import ts from 'typescript';
import { SANDBOX_GLOBALS, type CellAnalysis, type CellProblem } from './analysis.ts';

interface Scope { names: Set<string>; parent: Scope | undefined }

export interface TsAnalysis extends CellAnalysis {
  /** Top-level names that are not exported: local to the cell, never an error when another cell reuses them. */
  locals: string[];
  /** Whether the cell calls `alm.run` (its engine tables are then named after the cell). */
  runsEngine: boolean;
}

export function analyseTs(source: string, cellName?: string): TsAnalysis {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const problems: CellProblem[] = syntaxProblems(file, source);
  const at = (node: ts.Node, message: string): CellProblem => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    return { message, line: line + 1, column: character + 1 };
  };

  const moduleScope: Scope = { names: new Set(), parent: undefined };
  declareHoisted(file.statements, moduleScope, true);
  const outputs: string[] = [];
  const addOutput = (name: string, node: ts.Node) => {
    if (outputs.includes(name)) problems.push(at(node, `exports "${name}" twice`));
    else if (SANDBOX_GLOBALS.has(name)) problems.push(at(node, `exports "${name}", a built-in name; rename it`));
    else outputs.push(name);
  };
  const exportedLocals = new Set<string>();
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) problems.push(at(statement, 'a cell cannot import modules: data and the engine are reached through alm'));
    else if (ts.isExportAssignment(statement)) problems.push(at(statement, 'a cell has no default export: export a named value (export const x = …)'));
    else if (ts.isExportDeclaration(statement)) {
      if (statement.moduleSpecifier || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) problems.push(at(statement, 'a cell cannot re-export from modules'));
      else if (!statement.isTypeOnly) {
        for (const spec of statement.exportClause.elements) {
          if (spec.isTypeOnly) continue;
          const local = (spec.propertyName ?? spec.name).text;
          if (!moduleScope.names.has(local)) problems.push(at(spec, `exports "${local}", which this cell does not declare`));
          else { exportedLocals.add(local); addOutput(spec.name.text, spec); }
        }
      }
    } else if (hasModifier(statement, ts.SyntaxKind.ExportKeyword) && !hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) {
      if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) problems.push(at(statement, 'a cell has no default export: export a named value (export const x = …)'));
      else if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) bindingNames(d.name).forEach((n) => addOutput(n.text, n));
      else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) addOutput(statement.name.text, statement.name);
    }
  }

  const free = new Set<string>();
  let runsEngine = false;
  const visit = (node: ts.Node, scope: Scope): void => {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isTypeParameterDeclaration(node)) return;
    if (hasModifier(node, ts.SyntaxKind.DeclareKeyword) || ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node) || ts.isExportDeclaration(node) || ts.isModuleDeclaration(node)) return;
    if (ts.isIdentifier(node)) {
      // the parser stands an empty identifier in for a missing expression (`s + , 0`): that is the syntax error, not a use
      if (node.text !== '' && !resolves(node.text, scope)) free.add(node.text);
      return;
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)
      && node.expression.expression.text === 'alm' && node.expression.name.text === 'run' && !resolves('alm', scope)) runsEngine = true;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) problems.push(at(node, 'a cell cannot import modules: data and the engine are reached through alm'));
    if (ts.isPropertyAccessExpression(node)) return visit(node.expression, scope);
    if (ts.isPropertyAssignment(node)) { visitName(node.name, scope); return visit(node.initializer, scope); }
    if (ts.isShorthandPropertyAssignment(node)) { visit(node.name, scope); if (node.objectAssignmentInitializer) visit(node.objectAssignmentInitializer, scope); return; }
    if (ts.isLabeledStatement(node)) return visit(node.statement, scope);
    if (ts.isBreakOrContinueStatement(node) || ts.isMetaProperty(node)) return;
    if (ts.isEnumDeclaration(node)) {
      // an enum's members are in scope in each other's initializers
      const inner: Scope = { names: new Set(node.members.flatMap((m) => (ts.isIdentifier(m.name) ? [m.name.text] : []))), parent: scope };
      node.members.forEach((m) => { if (m.initializer) visit(m.initializer, inner); });
      return;
    }
    if (ts.isHeritageClause(node)) { if (node.token === ts.SyntaxKind.ExtendsKeyword) node.types.forEach((t) => visit(t.expression, scope)); return; }
    if (ts.isBindingElement(node)) {
      if (node.propertyName) visitName(node.propertyName, scope);
      if (!ts.isIdentifier(node.name)) visit(node.name, scope);
      if (node.initializer) visit(node.initializer, scope);
      return;
    }
    if (ts.isVariableDeclaration(node) || ts.isParameter(node)) {
      if (!ts.isIdentifier(node.name)) visit(node.name, scope);
      if (node.initializer) visit(node.initializer, scope);
      return;
    }
    if (isFunctionLike(node)) {
      const inner: Scope = { names: new Set(), parent: scope };
      if (!ts.isArrowFunction(node)) inner.names.add('arguments');
      if ((ts.isFunctionExpression(node)) && node.name) inner.names.add(node.name.text);
      node.parameters.forEach((p) => bindingNames(p.name).forEach((n) => inner.names.add(n.text)));
      if (node.body && ts.isBlock(node.body)) declareHoisted(node.body.statements, inner, true);
      node.modifiers?.forEach((m) => visit(m, scope));
      if ('name' in node && node.name && !ts.isIdentifier(node.name)) visitName(node.name, scope);
      node.parameters.forEach((p) => visit(p, inner));
      if (node.body) {
        if (ts.isBlock(node.body)) node.body.statements.forEach((s) => visit(s, inner));
        else visit(node.body, inner);
      }
      return;
    }
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const inner: Scope = { names: new Set(node.name ? [node.name.text] : []), parent: scope };
      node.heritageClauses?.forEach((h) => visit(h, scope));
      for (const member of node.members) {
        if (member.name) visitName(member.name, inner);
        if (ts.isPropertyDeclaration(member) && member.initializer) visit(member.initializer, inner);
        else if (ts.isClassStaticBlockDeclaration(member)) visit(member.body, inner);
        else if (isFunctionLike(member)) visit(member, inner);
      }
      return;
    }
    if (ts.isBlock(node) || ts.isCaseBlock(node) || ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node) || ts.isCatchClause(node)) {
      const inner: Scope = { names: new Set(), parent: scope };
      if (ts.isBlock(node)) declareHoisted(node.statements, inner, false);
      else if (ts.isCaseBlock(node)) node.clauses.forEach((c) => declareHoisted(c.statements, inner, false));
      else if (ts.isCatchClause(node)) { if (node.variableDeclaration) bindingNames(node.variableDeclaration.name).forEach((n) => inner.names.add(n.text)); }
      else if (node.initializer && ts.isVariableDeclarationList(node.initializer) && isBlockScoped(node.initializer)) {
        node.initializer.declarations.forEach((d) => bindingNames(d.name).forEach((n) => inner.names.add(n.text)));
      }
      return ts.forEachChild(node, (child) => visit(child, inner));
    }
    ts.forEachChild(node, (child) => visit(child, scope));
  };
  const visitName = (name: ts.PropertyName, scope: Scope) => {
    if (ts.isComputedPropertyName(name)) visit(name.expression, scope);
  };
  file.statements.forEach((s) => visit(s, moduleScope));

  const locals = [...moduleScope.names].filter((n) => !outputs.includes(n) && !exportedLocals.has(n));
  const uses = [...free].filter((n) => !SANDBOX_GLOBALS.has(n)).sort();
  const analysis: TsAnalysis = { defines: outputs, uses, locals, runsEngine, problems };
  if (runsEngine && cellName) analysis.tablePrefix = cellName;
  return analysis;
}

function resolves(name: string, scope: Scope | undefined): boolean {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

type FunctionLikeNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;
function isFunctionLike(node: ts.Node): node is FunctionLikeNode {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)
    || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function isBlockScoped(list: ts.VariableDeclarationList): boolean {
  return (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using)) !== 0;
}

function bindingNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

/**
 * Declares a statement list's names in `scope`: block-scoped ones of the list itself and, when the
 * scope is a function's or the module's, every `var` of nested blocks (JavaScript hoists them).
 */
function declareHoisted(statements: readonly ts.Statement[], scope: Scope, functionScope: boolean): void {
  for (const statement of statements) {
    if (hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) continue;
    if (ts.isVariableStatement(statement)) {
      if (isBlockScoped(statement.declarationList) || functionScope) statement.declarationList.declarations.forEach((d) => bindingNames(d.name).forEach((n) => scope.names.add(n.text)));
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) scope.names.add(statement.name.text);
    else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) scope.names.add(clause.name.text);
      if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) scope.names.add(clause.namedBindings.name.text);
      else clause.namedBindings?.elements.forEach((e) => scope.names.add(e.name.text));
    }
  }
  if (functionScope) for (const statement of statements) hoistVars(statement, scope);
}

function hoistVars(node: ts.Node, scope: Scope): void {
  if (isFunctionLike(node) || ts.isClassLike(node)) return;
  if (ts.isVariableDeclarationList(node) && !isBlockScoped(node)) node.declarations.forEach((d) => bindingNames(d.name).forEach((n) => scope.names.add(n.text)));
  ts.forEachChild(node, (child) => hoistVars(child, scope));
}

/**
 * Syntax errors. The parser keeps them on the source file (`parseDiagnostics`, not in the public
 * typings); reading them there costs nothing, where `transpileModule` would parse again inside a
 * whole program (≈25 ms a cell). Should a TypeScript release drop the field, the slower path runs.
 */
function syntaxProblems(file: ts.SourceFile, source: string): CellProblem[] {
  const kept: unknown = Reflect.get(file, 'parseDiagnostics');
  const diagnostics: readonly ts.Diagnostic[] = Array.isArray(kept) && kept.every(isDiagnostic)
    ? kept
    : ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).diagnostics ?? [];
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.start === undefined) return { message };
    const { line, character } = file.getLineAndCharacterOfPosition(d.start);
    return { message, line: line + 1, column: character + 1 };
  });
}

function isDiagnostic(value: unknown): value is ts.Diagnostic {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'start') === 'number'
    && (typeof Reflect.get(value, 'messageText') === 'string' || typeof Reflect.get(value, 'messageText') === 'object');
}

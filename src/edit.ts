import { BulwarkError } from './errors.js';
import { sha256 } from './hash.js';

/**
 * Syntax-level edits of an existing TypeScript file. Each is idempotent: it
 * checks for what it would add and adds nothing the second time.
 */
export type TsEdit =
  | {
      readonly op: 'ensure-import';
      /** Module specifier, e.g. "./routes/orders.js". */
      readonly from: string;
      readonly named: readonly string[];
    }
  | {
      readonly op: 'ensure-statement';
      /** A function declaration or a `const name = (...) => {...}` in the file. */
      readonly inFunction: string;
      readonly statement: string;
      /** Insert before the function's last return statement (default), or at the end. */
      readonly position?: 'before-return' | 'end';
      /**
       * Insert right after the first statement whose code starts with this
       * instead (compared without whitespace or quote style): for hooks that
       * must run before any route is registered. Refused if no statement matches.
       */
      readonly after?: string;
    }
  | {
      readonly op: 'ensure-array-element';
      /** A `const` initialised with an array literal (possibly `as const` or `satisfies`). */
      readonly variable: string;
      /** An expression, such as an identifier. */
      readonly element: string;
    }
  | {
      readonly op: 'ensure-property';
      /** A `const` initialised with an object literal (possibly `as const` or `satisfies`). */
      readonly variable: string;
      /** The property's name; a property of that name already there is left as it is. */
      readonly name: string;
      /** An expression, such as an identifier. */
      readonly value: string;
    };

type TsMorph = typeof import('ts-morph');
let tsMorph: Promise<TsMorph> | undefined;

/** ts-morph costs most of a second to import: load it only when an edit runs. */
function loadTsMorph(): Promise<TsMorph> {
  tsMorph ??= import('ts-morph');
  return tsMorph;
}

export async function applyTsEdits(filePath: string, source: string, edits: readonly TsEdit[]): Promise<string> {
  if (edits.length === 0) return source;
  // An edit is a pure function of the path, the text and the edits (plain data): a long-lived caller
  // (a platform, a test suite) planning the same module again gets the result without ts-morph.
  const key = `${filePath}\0${sha256(source)}\0${JSON.stringify(edits)}`;
  const known = recentEdits.get(key);
  if (known !== undefined) return known;
  const edited = await editWithTsMorph(filePath, source, edits);
  recentEdits.set(key, edited);
  if (recentEdits.size > RECENT_EDITS) recentEdits.delete(recentEdits.keys().next().value as string);
  return edited;
}

/** Results of recent edits in this process, oldest first; bounded. Failures are not kept (they throw). */
const recentEdits = new Map<string, string>();
const RECENT_EDITS = 512;

async function editWithTsMorph(filePath: string, source: string, edits: readonly TsEdit[]): Promise<string> {
  const { Project, SyntaxKind, Node, QuoteKind, IndentationText } = await loadTsMorph();
  // The user's file is not reformatted afterwards: what is added follows prettier's usual style.
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    manipulationSettings: { quoteKind: QuoteKind.Single, indentationText: IndentationText.TwoSpaces, useTrailingCommas: true },
  });
  const file = project.createSourceFile(`/${filePath}`, source);
  const fail = (message: string, fix: string): never => {
    throw new BulwarkError('E_EDIT_FAILED', `${filePath}: ${message}.`, { path: filePath, fix });
  };
  const syntaxErrors = project.getProgram().getSyntacticDiagnostics(file);
  if (syntaxErrors.length > 0) {
    const first = syntaxErrors[0];
    const line = first === undefined ? '?' : String(file.getLineAndColumnAtPos(first.getStart()).line);
    fail(`has a syntax error at line ${line}`, `Fix the syntax error in ${filePath}, then run again`);
  }
  for (const edit of edits) {
    if (edit.op === 'ensure-import') {
      const existing = file.getImportDeclaration((d) => d.getModuleSpecifierValue() === edit.from && !d.isTypeOnly());
      if (existing === undefined) {
        file.addImportDeclaration({ moduleSpecifier: edit.from, namedImports: [...edit.named] });
        continue;
      }
      const have = new Set(existing.getNamedImports().map((n) => n.getName()));
      const missing = edit.named.filter((name) => !have.has(name));
      if (missing.length > 0) existing.addNamedImports(missing);
      continue;
    }
    if (edit.op === 'ensure-array-element') {
      let init = file.getVariableDeclaration(edit.variable)?.getInitializer();
      while (init !== undefined && (Node.isAsExpression(init) || Node.isSatisfiesExpression(init))) init = init.getExpression();
      const array = init?.asKind(SyntaxKind.ArrayLiteralExpression);
      if (array === undefined) {
        return fail(`no array "${edit.variable}"`, `Restore "const ${edit.variable} = [...]", or add ${edit.element} to it by hand`);
      }
      const wantedElement = normalize(edit.element);
      if (!array.getElements().some((e) => normalize(e.getText()) === wantedElement)) array.addElement(edit.element);
      continue;
    }
    if (edit.op === 'ensure-property') {
      let init = file.getVariableDeclaration(edit.variable)?.getInitializer();
      while (init !== undefined && (Node.isAsExpression(init) || Node.isSatisfiesExpression(init))) init = init.getExpression();
      const object = init?.asKind(SyntaxKind.ObjectLiteralExpression);
      if (object === undefined) {
        return fail(`no object "${edit.variable}"`, `Restore "const ${edit.variable} = { ... }", or add "${edit.name}: ${edit.value}" to it by hand`);
      }
      // The user may have changed what the name stands for: theirs to keep.
      if (object.getProperty(edit.name) === undefined) object.addPropertyAssignment({ name: edit.name, initializer: edit.value });
      continue;
    }
    const fn =
      file.getFunction(edit.inFunction) ??
      file
        .getVariableDeclaration(edit.inFunction)
        ?.getInitializer()
        ?.asKind(SyntaxKind.ArrowFunction) ??
      file.getVariableDeclaration(edit.inFunction)?.getInitializer()?.asKind(SyntaxKind.FunctionExpression);
    const body = fn?.getBody();
    if (fn === undefined || body === undefined || !Node.isBlock(body)) {
      return fail(`no function "${edit.inFunction}" with a block body`, `Restore the "${edit.inFunction}" function, or add the statement by hand: ${edit.statement}`);
    }
    const wanted = normalize(edit.statement);
    const statements = body.getStatements();
    if (statements.some((s) => normalize(s.getText()) === wanted)) continue;
    // insertStatements counts standalone comments as statements: find the place in that list.
    const withComments = body.getStatementsWithComments();
    if (edit.after !== undefined) {
      const anchor = normalize(edit.after);
      const at = withComments.findIndex((s) => normalize(s.getText()).startsWith(anchor));
      if (at === -1) {
        return fail(
          `no statement "${edit.after}" in "${edit.inFunction}" to add a statement after`,
          `Restore "${edit.after}" in ${edit.inFunction}, or add right after it by hand: ${edit.statement}`,
        );
      }
      body.insertStatements(at + 1, edit.statement);
      continue;
    }
    const lastReturn = withComments.findLastIndex((s) => s.getKind() === SyntaxKind.ReturnStatement);
    const index = edit.position !== 'end' && lastReturn !== -1 ? lastReturn : withComments.length;
    body.insertStatements(index, edit.statement);
  }
  return file.getFullText();
}

/** Code as compared for "already there": no whitespace, trailing commas, final semicolon or quote style. */
function normalize(code: string): string {
  return code.replace(/\s+/g, '').replace(/;$/, '').replace(/"/g, "'").replace(/,([}\])])/g, '$1');
}

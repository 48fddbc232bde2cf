import {
  HtmlValidate,
  StaticConfigLoader,
  type ConfigData,
  type ResolvedConfig,
} from 'html-validate';

/**
 * The adapter for `html-validate` (offline; the WHATWG HTML content models, nesting, attribute
 * values, duplicate ids, raw `<` and `&`): the only importer of it. The "standard" preset is the
 * specification's conformance rules without style opinions. Its StaticConfigLoader resolves the
 * configuration again on every call (20 ms a page here); resolved once, a page costs 2 to 3 ms.
 */
class OnceLoader extends StaticConfigLoader {
  private resolved: ResolvedConfig | undefined;
  override getConfigFor(handle: string, override?: ConfigData): ResolvedConfig {
    if (override !== undefined) return super.getConfigFor(handle, override) as ResolvedConfig;
    this.resolved ??= super.getConfigFor(handle) as ResolvedConfig;
    return this.resolved;
  }
}

let validator: HtmlValidate | undefined;

export interface HtmlProblem {
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly message: string;
}

export function validateHtml(html: string): HtmlProblem[] {
  validator ??= new HtmlValidate(
    new OnceLoader({ extends: ['html-validate:standard'], elements: ['html5'] }),
  );
  const report = validator.validateStringSync(html);
  return report.results.flatMap((r) =>
    r.messages.map((m) => ({
      line: m.line,
      column: m.column,
      rule: m.ruleId,
      message: m.message,
    })),
  );
}

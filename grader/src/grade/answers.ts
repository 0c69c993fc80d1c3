/** The values a submission handed over, as the test cells receive them (tensors as Tensors, decode-value.ts). */
export class Answers {
  constructor(
    private readonly values: Map<string, unknown>,
    private readonly problems: Map<string, string>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The value; throws what the student should be told when the notebook did not set it or it could not be read. */
  get(name: string): unknown {
    if (!this.values.has(name)) throw new Error(this.problems.get(name) ?? `\`${name}\` is not defined in the notebook.`);
    return this.values.get(name);
  }

  /** The value as test cells see it; undefined when the notebook did not set it. */
  value(name: string): unknown {
    return this.values.get(name);
  }
}

import { Tensor } from "./transformers.js";
import type { ParameterInfo } from "./onnx/parameters.js";
import { tensorValues } from "./onnx/tensor-data.js";

/** A module's weight or bias, like a PyTorch `nn.Parameter`: its shape in PyTorch's layout, and its values. */
export class Parameter {
  /** @internal */
  constructor(private readonly info: ParameterInfo) {}

  /** Local name: "weight", "bias". */
  get name(): string {
    return this.info.name;
  }

  /** Dotted name as in PyTorch's `named_parameters()`: "model.layers.0.self_attn.qkv_proj.weight". */
  get fullName(): string {
    return this.info.module ? `${this.info.module}.${this.info.name}` : this.info.name;
  }

  /** PyTorch's shape, e.g. [out_features, in_features] for a Linear weight. */
  get shape(): number[] {
    return [...this.info.shape];
  }

  /** How the model file stores it: "float32", or "int8" in an 8-bit model. */
  get dtype(): string {
    return this.info.dtype;
  }

  /** Number of elements. */
  numel(): number {
    return this.info.shape.reduce((a, b) => a * b, 1);
  }

  /** The values as a float32 Tensor in PyTorch's layout; 8-bit weights are dequantized (scale * (q - zero)). */
  value(): Tensor {
    const { tensor, scale, transposed } = this.info;
    const stored = (tensor.dims ?? []).map(Number);
    const q = tensorValues(tensor);
    let values = Float32Array.from(q as ArrayLike<number>);
    if (scale) {
      const s = tensorValues(scale.tensor);
      const z = scale.zero ? tensorValues(scale.zero) : null;
      const cols = stored[1] ?? 1;
      for (let i = 0; i < values.length; i++) {
        const c = s.length === 1 ? 0 : scale.axis === 0 ? Math.floor(i / cols) : i % cols;
        values[i] = (s[c]! as number) * (values[i]! - (z ? (z[z.length === 1 ? 0 : c]! as number) : 0));
      }
    }
    if (transposed) {
      const [rows, cols] = stored as [number, number];
      const t = new Float32Array(values.length);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = values[r * cols + c]!;
      values = t;
    }
    return new Tensor("float32", values, this.shape);
  }

  toString(): string {
    return `Parameter ${this.fullName} ${this.dtype} [${this.shape.join(", ")}]`;
  }
}

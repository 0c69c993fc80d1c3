import { llamaLike } from "./llama-like.js";

/** Qwen2 is Llama's module layout with biases on q/k/v_proj (read from the graph, not assumed). */
export const qwen2 = llamaLike("Qwen2", ["qwen2"]);

import { llamaLike } from "./llama-like.js";

export const llama = llamaLike("Llama", ["llama"]);

// onnx-proto's classes, loaded with require: it is a CommonJS module of 330 KB, which an ES import would first
// scan for its export names (about 10 ms of every notebook's start). Its types come from `import type`.
import { createRequire } from "node:module";
import type onnxProto from "onnx-proto";

export const { onnx } = createRequire(import.meta.url)("onnx-proto") as typeof onnxProto;

/**
 * `.wasm` files imported as modules: wrangler and vitest-pool-workers compile them at build time
 * (CompiledWasm), so the Worker never compiles WebAssembly at run time. The two wasm-bindgen
 * packages ship typings of the instance's exports for these paths; the import is the module.
 */
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

declare module '@jsquash/png/codec/pkg/squoosh_png_bg.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

declare module '@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

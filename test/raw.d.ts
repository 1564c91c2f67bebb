/** Vite's `?raw` imports (the file's text), used by tests that read documentation. */
declare module '*?raw' {
  const text: string;
  export default text;
}

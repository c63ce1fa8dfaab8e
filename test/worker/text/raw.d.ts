/** Vite's `?raw` import: the fixture file's text. */
declare module '*.jsonl?raw' {
  const text: string;
  export default text;
}

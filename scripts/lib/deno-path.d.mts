// Types for deno-path.mjs, so TypeScript tests can import it.
export function denoPath(): string

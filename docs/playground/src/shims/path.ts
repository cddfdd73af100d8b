/** node:path for the guest-kernel loader in the browser: it only takes a program's base name. */
export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The virtual module build.ts makes of programs/ and guest-kernel/. */
declare module 'paravm-files' {
  const files: Readonly<Record<string, string>>;
  export default files;
}

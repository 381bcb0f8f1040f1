/** CSS files imported from our code become their text (see scripts/css-text.mjs). */
declare module '*.css' {
  const text: string;
  export default text;
}

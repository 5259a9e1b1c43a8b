// Tailwind 4 emits nothing without this plugin: the build still succeeds with an empty stylesheet.
export default { plugins: { "@tailwindcss/postcss": {} } };

// Tailwind 4 emits nothing without this plugin: the build still succeeds with an empty stylesheet.
const config = { plugins: { "@tailwindcss/postcss": {} } };

export default config;

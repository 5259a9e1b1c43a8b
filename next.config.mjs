/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Node libraries; keep them out of the bundle (PGlite loads its wasm files from its own path).
  serverExternalPackages: ["pg", "pino", "prom-client", "@electric-sql/pglite"],
};

export default nextConfig;

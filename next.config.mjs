/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // pg and pino are Node libraries; keep them out of the bundle.
  serverExternalPackages: ["pg", "pino", "prom-client"],
};

export default nextConfig;

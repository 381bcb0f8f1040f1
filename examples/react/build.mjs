// Builds the React example with esbuild. Run `npm run build` first, then either
//   node examples/react/build.mjs           serve it on http://127.0.0.1:8001/ (built in memory)
//   node examples/react/build.mjs <outdir>  write <outdir>/main.js (index.html loads ./build/main.js)
// `experiment-dashboard` and its subpaths resolve through this package's own `exports` map to
// dist/, exactly as they would from node_modules/experiment-dashboard in an app.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, context } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** esbuild plugin: `experiment-dashboard[/sub]` -> the file the package's `exports` name for `import`. */
const thisPackage = {
  name: 'this-package',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${pkg.name}(/.*)?$`) }, (args) => {
      const subpath = `.${args.path.slice(pkg.name.length)}`;
      const entry = pkg.exports[subpath];
      const target = typeof entry === 'string' ? entry : entry?.import;
      if (!target) return { errors: [{ text: `${args.path} is not exported by package.json "exports"` }] };
      const file = join(ROOT, target);
      if (!existsSync(file)) return { errors: [{ text: `${file} does not exist: run npm run build` }] };
      return { path: file };
    });
  },
};

const options = ({ outdir, minify, logLevel }) => ({
  entryPoints: [join(HERE, 'main.jsx')],
  outdir,
  bundle: true,
  // The dashboard loads its detail, compare, chooser and export code on first use: keep those as chunks.
  splitting: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  minify,
  sourcemap: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel,
  plugins: [thisPackage],
});

/** Writes `<outdir>/main.js`, its lazily loaded chunks and source maps; returns esbuild's result. */
export function buildReactExample({ outdir, minify = true, logLevel = 'warning' }) {
  return build(options({ outdir, minify, logLevel }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2]) {
    const outdir = resolve(process.argv[2]);
    await buildReactExample({ outdir });
    console.log(`built ${join(outdir, 'main.js')}`);
  } else {
    const ctx = await context({ ...options({ outdir: join(HERE, 'build'), minify: true, logLevel: 'warning' }), write: false });
    const { port } = await ctx.serve({ servedir: HERE, host: '127.0.0.1', port: Number(process.env.PORT ?? 8001) });
    console.log(`React example on http://127.0.0.1:${port}/ (Ctrl+C stops)`);
  }
}

/** A quick run of every store figure: `npx tsx bench/store/smoke.ts`. */
import { benchStore } from '../store-bench.js';

const started = performance.now();
await benchStore(
  (figure, value, target = '') => console.log(`${figure.padEnd(58)} ${value.padEnd(60)} ${target}`),
  { quick: true },
);
console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);

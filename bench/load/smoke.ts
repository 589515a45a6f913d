/** A quick smoke run of the load benchmarks: `npx tsx bench/load/smoke.ts`. */
import { benchLoad } from './index.js';

await benchLoad((figure, value, target = '') => console.log(`${figure.padEnd(90)} ${value.padEnd(50)} ${target}`), { quick: true });

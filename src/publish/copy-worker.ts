import { serveJobs } from '../io/worker-pool.js';
import { makeProvenCopies, type ProvenCopies } from './prove-copies.js';

/**
 * The worker thread of makeAllCopies() (copy-pool.ts): for each published file it is sent (its
 * path), reads it, compresses it, writes the copies' temp files and proves them (prove-copies.ts), and answers
 * with their names and what is wrong with them.
 */
serveJobs<string, ProvenCopies>((path) => makeProvenCopies(path));

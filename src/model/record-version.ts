/**
 * The record format's version (model/record.ts): in a module of its own, so that code that
 * writes records need not load the schema (zod) that reads them.
 */
export const SCHEMA_VERSION = 1;

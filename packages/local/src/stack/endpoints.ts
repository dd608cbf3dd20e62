/**
 * What a client of the local stack needs, and nothing heavier: where its data dir is and how to
 * read its endpoints file. The ops CLI imports this (not ./index, which loads the whole stack).
 */
export * from './data-dir';
export * from './endpoints-file';

/** The NSW side of the local stack: a fake NSW API, the bundled sample dataset, and the choice between them and the real API. */
export * from './fake-nsw';
export * from './nsw-source';
export * from './sample-data';

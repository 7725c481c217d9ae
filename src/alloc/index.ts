/** The extent allocator: free-space maps, policies, stripes and PV lists. */
export * from './free-map.js';
export * from './allocate.js';
export * from './pv-list.js';

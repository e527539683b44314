// Types for schemathesis.js, which stays plain JavaScript so that .ci/run can call it before anything is compiled.

export declare function schemathesisCacheDir(): string;
/** Installs the pinned schemathesis (requirements.txt) into the cache once; its `st` command. */
export declare function fetchSchemathesis(): Promise<{ cacheDir: string; st: string }>;

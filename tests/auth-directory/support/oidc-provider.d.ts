// oidc-provider ships no types; the tests use a handful of its calls, typed where they use them.
declare module 'oidc-provider';

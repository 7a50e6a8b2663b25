// esbuild bundles the CSS a view imports into the view's own .css file.
declare module '*.css';

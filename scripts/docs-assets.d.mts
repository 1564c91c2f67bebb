export declare function prepareDocsAssets(): void;

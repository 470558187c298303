/// <reference types="vite/client" />
/// <reference types="@prepatu/elements/vue" />

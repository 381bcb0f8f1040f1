// `?raw` / `?url` imports and import.meta.glob in the stories and .storybook/ (built by Vite).
/// <reference types="vite/client" />

// src/node.mjs exports nothing: importing it starts the gateway.
export {};

"""The GraphQL adapter: GraphQL over HTTP and over WebSocket
(``graphql-transport-ws``), answers from the shared engine, GraphiQL."""

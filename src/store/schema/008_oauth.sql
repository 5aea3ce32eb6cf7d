-- piculet schema, version 8: OAuth2 sign-in.
--
-- The user's own client registration at each provider (Google, Microsoft,
-- or any other authorization server by a name of the user's choosing): its
-- endpoints, scopes and client id, and its secret sealed under the key file
-- (base_seal, context 'oauth:' || name); NULL for a public client.
--
-- A mailbox that signs in with OAuth2 says so in its secret source,
-- 'oauth:' || the client's name, and keeps its refresh token sealed in
-- secret_sealed (NULL until the first sign-in). Access tokens are never
-- stored.
CREATE TABLE oauth_client (
	name TEXT PRIMARY KEY,
	client_id TEXT NOT NULL,
	secret_sealed BLOB,
	auth_url TEXT NOT NULL,
	token_url TEXT NOT NULL,
	device_url TEXT NOT NULL DEFAULT '',
	scope TEXT NOT NULL,
	auth_params TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

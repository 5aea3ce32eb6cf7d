#include "helpers/test_lab_imap.h"

ImapClient *
test_lab_imap_login(const TestLab *lab, const char *user)
{
	g_autoptr(GError) error = NULL;
	NetTlsOptions tls_options = {.ca_file = lab->ca_file};
	g_autoptr(NetTls) tls = net_tls_new(&tls_options, &error);
	g_assert_no_error(error);
	ImapClientOptions options = {.host = lab->host,
	                             .port = lab->imaps_port,
	                             .security = IMAP_SECURITY_TLS,
	                             .tls = tls,
	                             .command_timeout_ms = 10000};
	g_autoptr(ImapClient) client = imap_client_new(&options);
	g_autoptr(BaseSecret) secret = base_secret_new(lab->password, -1);
	ImapCredentials credentials = {.user = user, .secret = secret};
	g_assert_true(imap_client_connect(client, &error));
	g_assert_true(imap_client_login(client, &credentials, &error));
	g_assert_no_error(error);
	return g_steal_pointer(&client);
}

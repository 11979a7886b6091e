package ar.loteria.server.tls;

import ar.loteria.common.ConfigException;
import ar.loteria.common.tls.TlsMaterial;
import ar.loteria.server.config.ServerConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Optional;

/**
 * The central's side of mutual TLS: its key and certificate, and the round's CA, which every
 * agency's certificate must be signed by (the agency's number is read from it). TLS 1.3 only, the
 * JDK's provider.
 */
public final class CentralTls {
    private CentralTls() {
    }

    /**
     * The central's TLS material: none with {@code TLS=off}, or with {@code TLS=auto} (the default)
     * when {@code TLS_DIR} holds no keys; loaded and checked otherwise.
     *
     * @throws ConfigException a missing or unreadable file, a key that is not the certificate's, a
     *     certificate of another CA, expired or not yet valid
     */
    public static Optional<TlsMaterial> material(ServerConfig config) throws ConfigException {
        if (config.tls() == ServerConfig.TlsMode.OFF
                || config.tls() == ServerConfig.TlsMode.AUTO && !TlsMaterial.present(config.tlsDir())) {
            return Optional.empty();
        }
        return Optional.of(TlsMaterial.load(config.tlsDir(), "TLS_DIR=" + config.tlsDir()));
    }

    /** Netty's context on the JDK's: a client certificate is required, TLS 1.3 only. */
    public static SslContext serverContext(TlsMaterial material) {
        return new JdkSslContext(material.context(), false, List.of(TlsMaterial.CIPHER_SUITES),
                IdentityCipherSuiteFilter.INSTANCE, null, ClientAuth.REQUIRE, new String[] {TlsMaterial.PROTOCOL}, false);
    }
}

package ar.loteria.server.tls;

import ar.loteria.common.ConfigException;
import ar.loteria.common.tls.TlsMaterial;
import ar.loteria.server.config.ServerConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

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
        return new ServerEngines(material.context());
    }

    /**
     * Hands Netty the JDK's engines of the central's own {@link SSLContext}, server side, a client
     * certificate required, TLS 1.3 and {@link TlsMaterial#CIPHER_SUITES} only. Not Netty's
     * {@code JdkSslContext}, which would do the same: its class initialisation builds the JDK's
     * default {@code SSLContext}, reading and parsing the JDK's whole {@code cacerts} (about 150
     * CAs the central never trusts), 50 ms of every start (docs/performance.md).
     */
    private static final class ServerEngines extends SslContext {
        private final SSLContext context;

        ServerEngines(SSLContext context) {
            this.context = context;
        }

        @Override
        public boolean isClient() {
            return false;
        }

        @Override
        public List<String> cipherSuites() {
            return List.of(TlsMaterial.CIPHER_SUITES);
        }

        @Override
        @SuppressWarnings("deprecation")
        public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
            return null; // no ALPN: the lottery protocol is the only one spoken
        }

        @Override
        public SSLEngine newEngine(ByteBufAllocator alloc) {
            return configure(context.createSSLEngine());
        }

        @Override
        public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
            return configure(context.createSSLEngine(peerHost, peerPort));
        }

        @Override
        public SSLSessionContext sessionContext() {
            return context.getServerSessionContext();
        }

        private static SSLEngine configure(SSLEngine engine) {
            engine.setUseClientMode(false);
            engine.setNeedClientAuth(true);
            engine.setEnabledProtocols(new String[] {TlsMaterial.PROTOCOL});
            engine.setEnabledCipherSuites(TlsMaterial.CIPHER_SUITES);
            return engine;
        }
    }
}

package io.mdeas.node.publish.mqtt;

import io.mdeas.node.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds a TLS socket factory from PEM files as brokers are usually configured (Mosquitto's
 * {@code cafile}/{@code certfile}/{@code keyfile}), so operators need no Java key stores.
 */
final class PemTls {
    private PemTls() {}

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final char[] NO_PASSWORD = new char[0];

    /** A socket factory trusting {@code tls.caFile()} (or the JVM defaults) and presenting the client key if given. */
    static SSLSocketFactory socketFactory(MqttLinkOptions.TlsFiles tls) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caFile() != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(tls.caFile(), "mqtt.tls.ca_file")) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (tls.certFile() != null && tls.keyFile() != null) {
                Collection<? extends Certificate> chain = certificates(tls.certFile(), "mqtt.tls.cert_file");
                PrivateKey key = privateKey(tls.keyFile());
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                ks.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, NO_PASSWORD);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("TLS set-up failed: " + e.getMessage());
        }
    }

    private static Collection<? extends Certificate> certificates(Path file, String key) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ConfigException(key + " = \"" + file + "\" is not allowed: expected PEM certificates");
            }
            return certs;
        } catch (java.security.cert.CertificateException e) {
            throw new ConfigException(key + " = \"" + file + "\" is not allowed: expected PEM certificates ("
                    + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        String pem = Files.readString(file);
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new ConfigException("mqtt.tls.key_file = \"" + file + "\" is not allowed: expected an unencrypted "
                    + "PKCS#8 PEM key (BEGIN PRIVATE KEY); convert with "
                    + "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException("mqtt.tls.key_file = \"" + file + "\" is not allowed: not an RSA, EC or Ed25519 key");
    }
}

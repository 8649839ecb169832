#pragma once

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>

namespace diemcau::signaling::http {

/// A PEM certificate/key pair on disk.
struct CertificateFiles {
  std::filesystem::path certificate;
  std::filesystem::path privateKey;
};

/// A TLS 1.2+ server context for HTTPS/WSS. Throws std::runtime_error naming the file that failed.
std::shared_ptr<boost::asio::ssl::context> makeServerTlsContext(const CertificateFiles& files);

/// Returns `dir`/tls-cert.pem and `dir`/tls-key.pem, generating them first when either is missing:
/// an ECDSA P-256 key (mode 0600) and a self-signed certificate for one year naming localhost,
/// 127.0.0.1, ::1 and `extraHosts` (IP addresses or DNS names) as subject alternative names.
CertificateFiles ensureSelfSignedCertificate(const std::filesystem::path& dir,
                                             const std::vector<std::string>& extraHosts = {});

}  // namespace diemcau::signaling::http

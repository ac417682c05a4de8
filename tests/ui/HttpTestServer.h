#pragma once
// A small HTTP/1.1 file server on 127.0.0.1 for end-to-end download tests (QTcpServer, one
// request per connection, "Connection: close").
//
// It serves in-memory files by path, honours "Range: bytes=a-" and "bytes=a-b" with 206 and
// Content-Range (416 when a is past the end), and can be told to misbehave on the requests whose
// path ends with the fault suffix (".zip" by default), for the first `times` of them (-1: all):
//   CorruptBody  the right length and headers, some bytes flipped (checksum mismatch)
//   ServerError  500 Internal Server Error with a short HTML body
//   CutAfter     full headers (Content-Length of the whole answer), `bytes` of the body, then the
//                socket is closed: a connection dropped midway
//   Stall        headers and `bytes` of the body, then nothing: the client must time out or cancel
//   IgnoreRange  always 200 with the whole file, as servers without range support do
// Every request is recorded (method, path, Range header) so tests can check what was asked.
#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <algorithm>
#include <memory>

namespace lens::test {

class HttpTestServer {
public:
    enum class Fault { None, CorruptBody, ServerError, CutAfter, Stall, IgnoreRange };
    struct Request {
        QByteArray method;
        QByteArray path;
        QByteArray range;  // value of the Range header, empty when absent
    };

    HttpTestServer() : server_(std::make_unique<QTcpServer>()) {
        QObject::connect(server_.get(), &QTcpServer::newConnection, server_.get(),
                         [this] { acceptAll(); });
        server_->listen(QHostAddress::LocalHost, 0);
    }
    ~HttpTestServer() {
        server_->close();
        for (const auto& s : sockets_)
            if (s) s->abort();
    }
    HttpTestServer(const HttpTestServer&) = delete;
    HttpTestServer& operator=(const HttpTestServer&) = delete;

    bool isListening() const { return server_->isListening(); }
    QString errorString() const { return server_->errorString(); }
    // http://127.0.0.1:<port>/
    QUrl baseUrl() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(server_->serverPort()));
    }

    void setFile(const QByteArray& path, const QByteArray& body) { files_[path] = body; }
    void setFault(Fault fault, qint64 bytes = 0, int times = -1) {
        fault_ = fault;
        faultBytes_ = bytes;
        faultTimes_ = times;
    }
    void setFaultSuffix(const QByteArray& suffix) { faultSuffix_ = suffix; }

    const QList<Request>& requests() const { return requests_; }
    int requestCount(const QByteArray& path) const {
        int n = 0;
        for (const auto& r : requests_) n += r.path == path ? 1 : 0;
        return n;
    }
    // Sockets the server holds open (a stalled answer keeps one).
    int openConnections() const {
        int n = 0;
        for (const auto& s : sockets_)
            n += s && s->state() == QAbstractSocket::ConnectedState ? 1 : 0;
        return n;
    }

private:
    void acceptAll() {
        while (QTcpSocket* socket = server_->nextPendingConnection()) {
            socket->setParent(server_.get());
            sockets_.append(socket);
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                buffer->append(socket->readAll());
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0 || socket->property("answered").toBool()) return;
                socket->setProperty("answered", true);
                answer(socket, buffer->left(end));
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void answer(QTcpSocket* socket, const QByteArray& head) {
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        Request request{requestLine.value(0), requestLine.value(1), {}};
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == "range")
                request.range = line.mid(colon + 1).trimmed();
        }
        requests_.append(request);

        Fault fault = Fault::None;
        if (fault_ != Fault::None && request.path.endsWith(faultSuffix_) && faultTimes_ != 0) {
            fault = fault_;
            if (faultTimes_ > 0) --faultTimes_;
        }
        if (!files_.contains(request.path)) {
            send(socket, 404, "Not Found", {}, "<html>not found</html>");
            return;
        }
        if (fault == Fault::ServerError) {
            send(socket, 500, "Internal Server Error", {}, "<html>internal error</html>");
            return;
        }
        QByteArray body = files_[request.path];
        if (fault == Fault::CorruptBody)
            for (qsizetype i = body.size() / 3; i < body.size(); i += 97)
                body[i] = char(body[i] ^ 0x5a);

        const qint64 total = body.size();
        int status = 200;
        QByteArray reason = "OK";
        QList<QByteArray> headers{"Accept-Ranges: bytes"};
        if (!request.range.isEmpty() && fault != Fault::IgnoreRange) {
            // "bytes=a-" or "bytes=a-b"
            const QByteArray spec = request.range.mid(request.range.indexOf('=') + 1);
            const qsizetype dash = spec.indexOf('-');
            const qint64 first = spec.left(dash).toLongLong();
            qint64 last = dash + 1 < spec.size() ? spec.mid(dash + 1).toLongLong() : total - 1;
            if (first >= total) {
                send(socket, 416, "Range Not Satisfiable",
                     {"Content-Range: bytes */" + QByteArray::number(total)}, {});
                return;
            }
            last = std::min(last, total - 1);
            body = body.mid(first, last - first + 1);
            status = 206;
            reason = "Partial Content";
            headers << "Content-Range: bytes " + QByteArray::number(first) + "-" +
                           QByteArray::number(last) + "/" + QByteArray::number(total);
        }
        if (fault == Fault::CutAfter || fault == Fault::Stall) {
            writeHead(socket, status, reason, headers, body.size());
            const QByteArray part = body.left(std::min<qint64>(faultBytes_, body.size()));
            if (fault == Fault::CutAfter) {
                socket->write(part);
                socket->disconnectFromHost();  // after the pending bytes are written
                return;
            }
            // Stall: the partial body follows the headers after a pause, in its own segment, then
            // the socket stays open and silent.
            QTimer::singleShot(50, socket, [socket, part] { socket->write(part); });
            return;
        }
        send(socket, status, reason, headers, body);
    }

    static void writeHead(QTcpSocket* socket, int status, const QByteArray& reason,
                          const QList<QByteArray>& headers, qint64 length) {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + " " + reason + "\r\n";
        head += "Content-Type: application/octet-stream\r\n";
        head += "Content-Length: " + QByteArray::number(length) + "\r\n";
        head += "Connection: close\r\n";
        for (const auto& h : headers) head += h + "\r\n";
        head += "\r\n";
        socket->write(head);
    }

    static void send(QTcpSocket* socket, int status, const QByteArray& reason,
                     const QList<QByteArray>& headers, const QByteArray& body) {
        writeHead(socket, status, reason, headers, body.size());
        socket->write(body);
        socket->disconnectFromHost();
    }

    std::unique_ptr<QTcpServer> server_;
    QList<QPointer<QTcpSocket>> sockets_;
    QMap<QByteArray, QByteArray> files_;
    QList<Request> requests_;
    Fault fault_ = Fault::None;
    qint64 faultBytes_ = 0;
    int faultTimes_ = -1;
    QByteArray faultSuffix_ = ".zip";
};

}  // namespace lens::test

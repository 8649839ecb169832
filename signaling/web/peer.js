// What the publish and subscribe connections share: the RTCPeerConnection settings the bridge
// expects (BUNDLE, rtcp-mux; docs/PROTOCOL.md "Meetings") and trickle ICE over `candidate`,
// holding candidates on both sides until the connection has the descriptions it needs.

export const kPeerConfig = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };

export class Trickle {
  constructor(sig, pc, transport) {
    this.sig = sig;
    this.pc = pc;
    this.transport = transport;
    this.localHeld = [];
    this.remoteHeld = [];
    this.canSend = false;
    pc.addEventListener('icecandidate', ({ candidate }) => {
      const c = candidate
        ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? undefined,
            sdpMLineIndex: candidate.sdpMLineIndex ?? undefined }
        : { candidate: '' };
      if (this.canSend) this.send(c); else this.localHeld.push(c);
    });
  }

  send(c) {
    this.sig.request('candidate', { transport: this.transport, ...c })
      .catch((err) => console.warn(`${this.transport} candidate refused: ${err.message}`));
  }

  /// The server now knows this connection: send what was gathered so far.
  releaseLocal() {
    this.canSend = true;
    this.localHeld.splice(0).forEach((c) => this.send(c));
  }

  /// A `candidate` event from the server for this transport.
  addRemote(msg) {
    if (!msg.candidate) return;
    const c = { candidate: msg.candidate.replace(/^a=/, ''), sdpMid: msg.sdpMid, sdpMLineIndex: msg.sdpMLineIndex ?? 0 };
    if (!this.pc.remoteDescription) { this.remoteHeld.push(c); return; }
    this.pc.addIceCandidate(c).catch((err) => console.warn(`${this.transport} remote candidate: ${err.message}`));
  }

  releaseRemote() {
    for (const c of this.remoteHeld.splice(0)) {
      this.pc.addIceCandidate(c).catch((err) => console.warn(`${this.transport} remote candidate: ${err.message}`));
    }
  }
}

// One echo check ("test my link", docs/PROTOCOL.md "Echo service"): the bridge returns this
// browser's own camera and microphone through ICE, DTLS and SRTP. Used by echo.html and by the
// pre-join screen, with whatever stream the caller already opened.

import { Signaling } from './signaling.js';

export class EchoSession {
  /// onState(key, detail): 'connecting' | 'live' | 'failed' | 'stopped'; onRemote(stream).
  constructor({ onState = () => {}, onRemote = () => {} } = {}) {
    this.onState = onState;
    this.onRemote = onRemote;
    this.sig = null;
    this.pc = null;
    this.session = null;
    this.remote = null;
  }

  async start(stream) {
    this.onState('connecting');
    const sig = new Signaling();
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.sig = sig;
    this.pc = pc;
    const held = [];
    const send = (c) => sig.request('echo.candidate', { session: this.session, ...c })
      .catch((err) => console.warn('echo candidate', err.message));
    pc.onicecandidate = ({ candidate }) => {
      const c = candidate
        ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex }
        : { candidate: '' };
      if (this.session) send(c); else held.push(c);
    };
    pc.ontrack = ({ track, streams }) => {
      if (!this.remote) this.remote = streams[0] ?? new MediaStream();
      if (!this.remote.getTracks().includes(track)) this.remote.addTrack(track);
      this.onRemote(this.remote);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') this.onState('live');
      if (pc.connectionState === 'failed') this.onState('failed', 'ICE/DTLS');
    };
    sig.on('echo.candidate', (msg) => {
      if (msg.session !== this.session || !msg.candidate) return;
      pc.addIceCandidate({ candidate: msg.candidate, sdpMid: msg.sdpMid, sdpMLineIndex: msg.sdpMLineIndex })
        .catch((err) => console.warn('echo remote candidate', err.message));
    });
    sig.on('echo.closed', (msg) => {
      if (msg.session === this.session) this.onState('failed', msg.reason ?? '');
    });

    try {
      for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendrecv', streams: [stream] });
      await pc.setLocalDescription(await pc.createOffer());
      await sig.opened;
      const reply = await sig.request('echo.start', { sdp: pc.localDescription.sdp });
      this.session = reply.session;
      await pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
      held.splice(0).forEach(send);
    } catch (err) {
      this.onState('failed', err.message);
      await this.stop(false);
    }
  }

  /// Ends the echo; the caller's stream is left running (it belongs to the caller).
  async stop(report = true) {
    const { sig, pc, session } = this;
    if (!pc) return;
    this.sig = null;
    this.pc = null;
    this.session = null;
    this.remote = null;
    if (session && sig.ws.readyState === WebSocket.OPEN) await sig.request('echo.stop', { session }).catch(() => {});
    sig.close();
    pc.close();
    if (report) this.onState('stopped');
  }
}

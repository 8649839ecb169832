// The subscribe connection: everything this participant receives. The bridge offers (event
// `subscribe.offer`, increasing versions) and renegotiates as sites come and go; the client
// answers each offer in turn. Each received track names its participant in the msid stream id
// (a=msid:<participant> <participant>.<kind>), which ontrack hands over as streams[0].id.

import { kPeerConfig, Trickle } from './peer.js';

export class Subscriber {
  /// onTrack(participantId, track, receiver); onStateChange(connectionState).
  constructor(sig, { onTrack = () => {}, onStateChange = () => {} } = {}) {
    this.sig = sig;
    this.pc = new RTCPeerConnection(kPeerConfig);
    this.trickle = new Trickle(sig, this.pc, 'subscribe');
    this.chain = Promise.resolve();
    this.answered = 0;
    this.pc.addEventListener('track', ({ track, streams, receiver, transceiver }) => {
      const participant = streams[0]?.id ?? this.participantFromSdp(transceiver.mid);
      if (participant) onTrack(participant, track, receiver);
    });
    this.pc.addEventListener('connectionstatechange', () => onStateChange(this.pc.connectionState));
  }

  /// Fallback when a browser gives no stream: read the msid of the section from the offer.
  participantFromSdp(mid) {
    const sdp = this.pc.remoteDescription?.sdp ?? '';
    for (const section of sdp.split(/\r\n(?=m=)/)) {
      if (!section.includes(`\r\na=mid:${mid}\r\n`)) continue;
      const msid = /\r\na=msid:(\S+)/.exec(section);
      if (msid && msid[1] !== '-') return msid[1];
    }
    return null;
  }

  /// Answers offers one at a time, in the order they came.
  onOffer(msg) {
    this.chain = this.chain.then(() => this.answer(msg)).catch((err) => {
      console.warn(`subscribe offer ${msg.version}: ${err.message}`);
    });
    return this.chain;
  }

  async answer({ version, sdp }) {
    if (this.pc.signalingState === 'closed') return;
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    this.trickle.releaseRemote();
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.sig.request('subscribe.answer', { version, sdp: this.pc.localDescription.sdp });
    this.answered = version;
    this.trickle.releaseLocal();
  }

  onCandidate(msg) { this.trickle.addRemote(msg); }

  close() { this.pc.close(); }
}

// The publish connection: this site's camera and microphone to the bridge. The client offers,
// the bridge answers (`publish`, docs/PROTOCOL.md).

import { kPeerConfig, Trickle } from './peer.js';

export class Publisher {
  constructor(sig, stream, { onStateChange = () => {} } = {}) {
    this.sig = sig;
    this.stream = stream;
    this.pc = new RTCPeerConnection(kPeerConfig);
    this.trickle = new Trickle(sig, this.pc, 'publish');
    this.pc.addEventListener('connectionstatechange', () => onStateChange(this.pc.connectionState));
  }

  async start() {
    const tracks = this.stream?.getTracks() ?? [];
    if (tracks.length === 0) return false;
    // Audio first, then video: the order the protocol's examples use.
    tracks.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'audio' ? -1 : 1));
    for (const track of tracks) {
      this.pc.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
    }
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const reply = await this.sig.request('publish', { sdp: this.pc.localDescription.sdp });
    await this.pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
    this.trickle.releaseLocal();
    this.trickle.releaseRemote();
    return true;
  }

  onCandidate(msg) { this.trickle.addRemote(msg); }

  close() { this.pc.close(); }
}

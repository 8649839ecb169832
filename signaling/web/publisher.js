// The publish connection: this site's camera and microphone to the bridge. The client offers,
// the bridge answers (`publish`, docs/PROTOCOL.md).

import { kPeerConfig, Trickle } from './peer.js';

// Simulcast (docs/PROTOCOL.md, "Simulcast"): the hall's video in three layers, lowest first, so
// the bridge can send each site the one its link and its tile can take. From the hall's 1280x720
// camera (devices.js) they are 320x180, 640x360 and 1280x720: the lowest fits a 300 kbit/s commune
// link beside the meeting's audio, the middle a thumbnail-to-half-screen tile on about 0.6 Mbit/s,
// the top a full screen. Bitrates are ceilings; the browser's own estimate of the hall's uplink
// decides what it really sends (docs/ARCHITECTURE.md, "Weak links: simulcast and bandwidth").
export const kSimulcastEncodings = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

export class Publisher {
  constructor(sig, stream, { onStateChange = () => {}, simulcast = false } = {}) {
    this.sig = sig;
    this.stream = stream;
    this.simulcast = simulcast;
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
      const init = { direction: 'sendonly', streams: [this.stream] };
      if (track.kind === 'video' && this.simulcast) init.sendEncodings = kSimulcastEncodings;
      this.pc.addTransceiver(track, init);
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

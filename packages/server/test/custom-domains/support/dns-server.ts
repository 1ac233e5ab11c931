import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import dns2 from 'dns2';

const { Packet } = dns2;
/** RFC 1035 name error; dns2's types lack its RCODE table. */
const NXDOMAIN = 3;

export interface ZoneEntry {
  TXT?: string[];
  CNAME?: string;
  A?: string[];
}

export interface TestDnsServer {
  /** `127.0.0.1:PORT`, as DNS_SERVERS wants it. */
  address: string;
  /** The zone it is authoritative for, by lowercase name; edit it in a test and the next query sees it. */
  zone: Map<string, ZoneEntry>;
  close(): Promise<void>;
}

/**
 * An authoritative server on loopback answering from `zone`: NXDOMAIN for
 * unknown names, an empty NOERROR answer (NODATA) for a known name without
 * the asked type, as a real zone server does.
 */
export async function startDnsServer(): Promise<TestDnsServer> {
  const zone = new Map<string, ZoneEntry>();
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      response.header.aa = 1;
      const [question] = request.questions;
      const name = question!.name.toLowerCase();
      const entry = zone.get(name);
      if (!entry) {
        response.header.rcode = NXDOMAIN;
        return send(response);
      }
      // dns2 encodes plain records; its types want Resource instances.
      const answer = (record: object) =>
        response.answers.push({ name: question!.name, class: Packet.CLASS.IN, ttl: 1, ...record } as (typeof response.answers)[number]);
      if (question!.type === Packet.TYPE.TXT) {
        for (const data of entry.TXT ?? []) answer({ type: Packet.TYPE.TXT, data });
      } else if (question!.type === Packet.TYPE.CNAME && entry.CNAME) {
        answer({ type: Packet.TYPE.CNAME, domain: entry.CNAME });
      } else if (question!.type === Packet.TYPE.A) {
        for (const address of entry.A ?? []) answer({ type: Packet.TYPE.A, address });
      }
      send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  return {
    address: `127.0.0.1:${addresses.udp!.port}`,
    zone,
    close: async () => {
      await server.close();
    },
  };
}

export interface SilentDnsServer {
  address: string;
  /** Resolves when the next query arrives: a look-up is then in flight, and will time out. */
  nextQuery(): Promise<void>;
  close(): Promise<void>;
}

/** A UDP port that takes queries and never answers: a DNS timeout. */
export async function startSilentDnsServer(): Promise<SilentDnsServer> {
  const socket: Socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return {
    address: `127.0.0.1:${socket.address().port}`,
    nextQuery: async () => {
      await once(socket, 'message');
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

import Foundation

/// The few fields of Kubernetes API objects the facts need; everything else is ignored, so
/// newer API versions with extra fields still decode.
struct KubeList<Item: Decodable>: Decodable {
    var items: [Item]
}

struct KubeMetadata: Decodable {
    var name: String
    var namespace: String?
    var labels: [String: String]?
}

struct KubeNode: Decodable {
    struct Spec: Decodable {
        var podCIDR: String?
        var podCIDRs: [String]?
        var providerID: String?
    }
    struct Status: Decodable {
        struct Address: Decodable { var type: String; var address: String }
        var addresses: [Address]?
    }
    var metadata: KubeMetadata
    var spec: Spec?
    var status: Status?
}

/// `targetPort` is an int or a port name (IntOrString).
enum IntOrString: Decodable, Equatable {
    case int(Int)
    case string(String)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) { self = .int(value) } else {
            self = .string(try container.decode(String.self))
        }
    }
}

struct KubeService: Decodable {
    struct Port: Decodable {
        var name: String?
        var port: Int
        var targetPort: IntOrString?
        var nodePort: Int?
        var `protocol`: String?
    }
    struct Spec: Decodable {
        var type: String?
        var clusterIP: String?
        var ports: [Port]?
        var selector: [String: String]?
    }
    var metadata: KubeMetadata
    var spec: Spec
}

struct KubePod: Decodable {
    struct Container: Decodable {
        struct Port: Decodable { var name: String?; var containerPort: Int }
        var name: String
        var image: String?
        var ports: [Port]?
    }
    struct Spec: Decodable {
        var nodeName: String?
        var containers: [Container]?
    }
    struct Status: Decodable { var podIP: String? }
    var metadata: KubeMetadata
    var spec: Spec?
    var status: Status?
}

struct KubeConfigMap: Decodable {
    var metadata: KubeMetadata
    var data: [String: String]?
}

struct KubeDaemonSet: Decodable {
    struct Spec: Decodable {
        struct Template: Decodable {
            struct PodSpec: Decodable { var containers: [KubePod.Container] }
            var spec: PodSpec
        }
        var template: Template
    }
    var metadata: KubeMetadata
    var spec: Spec
}

struct KubeVersion: Decodable {
    struct Info: Decodable { var gitVersion: String }
    var serverVersion: Info?
}

package dev.cairn.local.emulators;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateMacRequest;
import software.amazon.awssdk.services.kms.model.GenerateMacResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidMacException;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.VerifyMacRequest;
import software.amazon.awssdk.services.kms.model.VerifyMacResponse;
import software.amazon.awssdk.services.kms.model.VerifyRequest;
import software.amazon.awssdk.services.kms.model.VerifyResponse;

/**
 * An honest in-memory KMS for {@code Sign}, {@code Verify}, {@code GetPublicKey}, {@code
 * GenerateMac} and {@code VerifyMac}, with real JCA keys. KMS has no local emulator; this emulator
 * follows the API reference:
 *
 * <ul>
 *   <li>{@code KeyId} may be a key id, key ARN, alias name ({@code alias/x}) or alias ARN; anything
 *       else is {@code NotFoundException}.
 *   <li>A disabled key gives {@code DisabledException}; a key pending deletion gives {@code
 *       KMSInvalidStateException}.
 *   <li>A key whose {@code KeyUsage} is not {@code SIGN_VERIFY}, or a signing algorithm the key
 *       spec does not support, gives {@code InvalidKeyUsageException}.
 *   <li>{@code MessageType=RAW} accepts at most 4096 bytes; {@code DIGEST} requires exactly the
 *       algorithm's digest length (32 bytes for the SHA-256 algorithms). Otherwise {@code
 *       ValidationException}.
 *   <li>A signature that does not verify gives {@code KMSInvalidSignatureException} (never {@code
 *       SignatureValid=false}).
 *   <li>{@code GenerateMac}/{@code VerifyMac} need a key whose {@code KeyUsage} is {@code
 *       GENERATE_VERIFY_MAC} and a {@code MacAlgorithm} matching its spec ({@code HMAC_256} ↔
 *       {@code HMAC_SHA_256}, ...), else {@code InvalidKeyUsageException}; a missing algorithm, a
 *       message outside 1–4096 bytes or a MAC outside 1–6144 bytes is {@code ValidationException}.
 *       A MAC that does not verify gives {@code KMSInvalidMacException} (never {@code
 *       MacValid=false}). The MAC is a real HMAC (JCA {@code HmacSHA*}) under secret key material
 *       that never leaves the emulator.
 * </ul>
 *
 * Implemented algorithms: {@code ECDSA_SHA_256} on {@code ECC_NIST_P256} (DER signatures) and
 * {@code RSASSA_PSS_SHA_256} (MGF1-SHA-256, 32-byte salt) on {@code RSA_2048/3072/4096}. Every
 * request is recorded for assertions.
 */
public final class KmsEmulator implements KmsClient {

  /** Account and region used in key ARNs. */
  public static final String ACCOUNT = "111122223333";

  public static final String REGION = "us-east-1";

  private static final int MAX_RAW_MESSAGE = 4096;

  private static final int MAX_MAC = 6144;

  private final String account;
  private final String region;

  private final Map<String, EmulatedKey> keys = new ConcurrentHashMap<>();
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final List<SignRequest> signRequests = Collections.synchronizedList(new ArrayList<>());

  /** A KMS of the default test account and region. */
  public KmsEmulator() {
    this(ACCOUNT, REGION);
  }

  /** The KMS of {@code account} in {@code region}: key ARNs name them. */
  public KmsEmulator(String account, String region) {
    this.account = account;
    this.region = region;
  }

  /** Creates a {@code SIGN_VERIFY} key and returns its key id. */
  public String createKey(KeySpec spec) {
    return createKey(spec, KeyUsageType.SIGN_VERIFY);
  }

  /** Creates a key with the given usage and returns its key id. */
  public String createKey(KeySpec spec, KeyUsageType usage) {
    return createKey(UUID.randomUUID().toString(), spec, usage);
  }

  /**
   * Creates a key with a chosen key id (the sandbox names keys after the template's resources) and
   * returns that id. {@code HMAC_*} specs need {@code GENERATE_VERIFY_MAC}, as in KMS.
   */
  public String createKey(String id, KeySpec spec, KeyUsageType usage) {
    boolean hmac = spec.toString().startsWith("HMAC_");
    if (hmac != (usage == KeyUsageType.GENERATE_VERIFY_MAC)) {
      throw error(
          software.amazon.awssdk.services.kms.model.UnsupportedOperationException.builder(),
          "UnsupportedOperationException",
          "KeySpec " + spec + " does not support KeyUsage " + usage + ".");
    }
    if (keys.containsKey(id)) {
      throw new IllegalArgumentException("key " + id + " exists");
    }
    keys.put(
        id,
        hmac
            ? new EmulatedKey(id, arn("key/" + id), spec, usage, null, generateSecret(spec))
            : new EmulatedKey(id, arn("key/" + id), spec, usage, generate(spec), null));
    return id;
  }

  /**
   * Creates an HMAC key holding {@code material} (what importing symmetric key material does: every
   * sandbox process of one build shares its record MAC key) and returns {@code id}.
   */
  public String importMacKey(String id, KeySpec spec, byte[] material) {
    if (!spec.toString().startsWith("HMAC_")) {
      throw new IllegalArgumentException(spec + " is not an HMAC key spec");
    }
    if (keys.containsKey(id)) {
      throw new IllegalArgumentException("key " + id + " exists");
    }
    String algorithm = "HmacSHA" + spec.toString().substring("HMAC_".length());
    keys.put(
        id,
        new EmulatedKey(
            id,
            arn("key/" + id),
            spec,
            KeyUsageType.GENERATE_VERIFY_MAC,
            null,
            new javax.crypto.spec.SecretKeySpec(material.clone(), algorithm)));
    imported.add(id);
    return id;
  }

  /**
   * Creates a signing key holding {@code pair} (what importing asymmetric key material does: the
   * sandbox's CI key is the one its trust policy pins) and returns {@code id}.
   */
  private final java.util.Set<String> imported = ConcurrentHashMap.newKeySet();

  public String importKey(String id, KeySpec spec, KeyPair pair) {
    if (keys.containsKey(id)) {
      throw new IllegalArgumentException("key " + id + " exists");
    }
    keys.put(id, new EmulatedKey(id, arn("key/" + id), spec, KeyUsageType.SIGN_VERIFY, pair, null));
    imported.add(id);
    return id;
  }

  /** {@code DescribeKey}: the key's metadata; {@code NotFoundException} for an unknown key. */
  @Override
  public software.amazon.awssdk.services.kms.model.DescribeKeyResponse describeKey(
      software.amazon.awssdk.services.kms.model.DescribeKeyRequest request) {
    EmulatedKey key = resolve(request.keyId());
    return software.amazon.awssdk.services.kms.model.DescribeKeyResponse.builder()
        .keyMetadata(
            m ->
                m.keyId(key.id)
                    .arn(key.arn)
                    .awsAccountId(key.arn.split(":")[4])
                    .enabled(key.state == KeyState.ENABLED)
                    .keyState(key.state)
                    .keyUsage(key.usage)
                    .keySpec(key.spec)
                    .keyManager("CUSTOMER")
                    .origin(imported.contains(key.id) ? "EXTERNAL" : "AWS_KMS")
                    .signingAlgorithms(
                        key.usage == KeyUsageType.SIGN_VERIFY ? supported(key.spec) : List.of())
                    .macAlgorithms(
                        key.secret != null
                            ? List.of(MacAlgorithmSpec.fromValue(key.spec.toString()))
                            : List.of()))
        .build();
  }

  /** Points {@code aliasName} (e.g. {@code alias/cdk-ci-artifact-signer}) at {@code keyId}. */
  public void createAlias(String aliasName, String keyId) {
    if (!aliasName.startsWith("alias/")) {
      throw new IllegalArgumentException("alias names start with alias/");
    }
    aliases.put(aliasName, resolve(keyId).id);
  }

  public void disableKey(String keyId) {
    resolve(keyId).state = KeyState.DISABLED;
  }

  public void enableKey(String keyId) {
    resolve(keyId).state = KeyState.ENABLED;
  }

  public void scheduleKeyDeletion(String keyId) {
    resolve(keyId).state = KeyState.PENDING_DELETION;
  }

  /** The key's ARN. */
  public String keyArn(String keyId) {
    return resolve(keyId).arn;
  }

  /** The real public key, for test assertions. */
  public PublicKey publicKey(String keyId) {
    return resolve(keyId).keyPair.getPublic();
  }

  /** Every Sign request received, in order. */
  public List<SignRequest> signRequests() {
    synchronized (signRequests) {
      return List.copyOf(signRequests);
    }
  }

  @Override
  public SignResponse sign(SignRequest request) {
    signRequests.add(request);
    EmulatedKey key = usable(request.keyId());
    SigningAlgorithmSpec algorithm = request.signingAlgorithm();
    checkAlgorithm(key, algorithm);
    byte[] message = message(request.message(), request.messageType(), algorithm);
    boolean digest = request.messageType() == MessageType.DIGEST;
    byte[] signature;
    try {
      signature =
          switch (algorithm) {
            case ECDSA_SHA_256 -> {
              Signature s = Signature.getInstance(digest ? "NONEwithECDSA" : "SHA256withECDSA");
              s.initSign(key.keyPair.getPrivate());
              s.update(message);
              yield s.sign();
            }
            case RSASSA_PSS_SHA_256 -> {
              if (digest) {
                PSSSigner signer = rawPss();
                signer.init(
                    true, PrivateKeyFactory.createKey(key.keyPair.getPrivate().getEncoded()));
                signer.update(message, 0, message.length);
                yield signer.generateSignature();
              }
              Signature s = pss();
              s.initSign(key.keyPair.getPrivate());
              s.update(message);
              yield s.sign();
            }
            default ->
                throw new UnsupportedOperationException(
                    "KmsEmulator does not implement " + algorithm);
          };
    } catch (GeneralSecurityException | java.io.IOException | CryptoException e) {
      throw new IllegalStateException("emulator KMS signing failed", e);
    }
    return SignResponse.builder()
        .keyId(key.arn)
        .signingAlgorithm(algorithm)
        .signature(SdkBytes.fromByteArray(signature))
        .build();
  }

  @Override
  public VerifyResponse verify(VerifyRequest request) {
    EmulatedKey key = usable(request.keyId());
    SigningAlgorithmSpec algorithm = request.signingAlgorithm();
    checkAlgorithm(key, algorithm);
    byte[] message = message(request.message(), request.messageType(), algorithm);
    boolean digest = request.messageType() == MessageType.DIGEST;
    byte[] signature =
        request.signature() == null ? new byte[0] : request.signature().asByteArray();
    boolean valid;
    try {
      valid =
          switch (algorithm) {
            case ECDSA_SHA_256 -> {
              Signature s = Signature.getInstance(digest ? "NONEwithECDSA" : "SHA256withECDSA");
              s.initVerify(key.keyPair.getPublic());
              s.update(message);
              yield s.verify(signature);
            }
            case RSASSA_PSS_SHA_256 -> {
              if (digest) {
                PSSSigner signer = rawPss();
                signer.init(
                    false, PublicKeyFactory.createKey(key.keyPair.getPublic().getEncoded()));
                signer.update(message, 0, message.length);
                yield signer.verifySignature(signature);
              }
              Signature s = pss();
              s.initVerify(key.keyPair.getPublic());
              s.update(message);
              yield s.verify(signature);
            }
            default ->
                throw new UnsupportedOperationException(
                    "KmsEmulator does not implement " + algorithm);
          };
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      if (e instanceof UnsupportedOperationException u) {
        throw u;
      }
      valid = false;
    }
    if (!valid) {
      throw error(
          KmsInvalidSignatureException.builder(),
          "KMSInvalidSignatureException",
          "The signature is not valid for the message and key " + key.arn);
    }
    return VerifyResponse.builder()
        .keyId(key.arn)
        .signatureValid(true)
        .signingAlgorithm(algorithm)
        .build();
  }

  @Override
  public GenerateMacResponse generateMac(GenerateMacRequest request) {
    EmulatedKey key = usable(request.keyId());
    MacAlgorithmSpec algorithm = request.macAlgorithm();
    byte[] message = macMessage(request.message());
    checkMacAlgorithm(key, algorithm);
    return GenerateMacResponse.builder()
        .keyId(key.arn)
        .macAlgorithm(algorithm)
        .mac(SdkBytes.fromByteArray(hmac(key, algorithm, message)))
        .build();
  }

  @Override
  public VerifyMacResponse verifyMac(VerifyMacRequest request) {
    EmulatedKey key = usable(request.keyId());
    MacAlgorithmSpec algorithm = request.macAlgorithm();
    byte[] message = macMessage(request.message());
    byte[] mac = request.mac() == null ? null : request.mac().asByteArray();
    if (mac == null || mac.length == 0 || mac.length > MAX_MAC) {
      throw validation(
          "1 validation error detected: Value at 'mac' failed to satisfy constraint: Member must"
              + " have length between 1 and "
              + MAX_MAC);
    }
    checkMacAlgorithm(key, algorithm);
    if (!MessageDigest.isEqual(hmac(key, algorithm, message), mac)) {
      throw error(
          KmsInvalidMacException.builder(),
          "KMSInvalidMacException",
          "The MAC is not valid for the message, key " + key.arn + " and algorithm " + algorithm);
    }
    return VerifyMacResponse.builder()
        .keyId(key.arn)
        .macValid(true)
        .macAlgorithm(algorithm)
        .build();
  }

  @Override
  public GetPublicKeyResponse getPublicKey(GetPublicKeyRequest request) {
    EmulatedKey key = usable(request.keyId());
    if (key.keyPair == null) {
      throw error(
          software.amazon.awssdk.services.kms.model.UnsupportedOperationException.builder(),
          "UnsupportedOperationException",
          key.arn + " key usage is GENERATE_VERIFY_MAC which is not valid for GetPublicKey.");
    }
    return GetPublicKeyResponse.builder()
        .keyId(key.arn)
        .publicKey(SdkBytes.fromByteArray(key.keyPair.getPublic().getEncoded()))
        .keySpec(key.spec)
        .keyUsage(key.usage)
        .signingAlgorithms(key.usage == KeyUsageType.SIGN_VERIFY ? supported(key.spec) : List.of())
        .build();
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}

  // ---------------------------------------------------------------------------------------------

  private static byte[] macMessage(SdkBytes message) {
    byte[] bytes = message == null ? null : message.asByteArray();
    if (bytes == null || bytes.length == 0 || bytes.length > MAX_RAW_MESSAGE) {
      throw validation(
          "1 validation error detected: Value at 'message' failed to satisfy constraint: Member"
              + " must have length between 1 and "
              + MAX_RAW_MESSAGE);
    }
    return bytes;
  }

  private static void checkMacAlgorithm(EmulatedKey key, MacAlgorithmSpec algorithm) {
    if (algorithm == null || algorithm == MacAlgorithmSpec.UNKNOWN_TO_SDK_VERSION) {
      throw validation(
          "1 validation error detected: Value null at 'macAlgorithm' failed to satisfy"
              + " constraint: Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256,"
              + " HMAC_SHA_224, HMAC_SHA_512]");
    }
    if (key.usage != KeyUsageType.GENERATE_VERIFY_MAC) {
      throw error(
          InvalidKeyUsageException.builder(),
          "InvalidKeyUsageException",
          "You cannot perform this operation on a KMS key with KeyUsage " + key.usage + ".");
    }
    // HMAC_256 pairs with HMAC_SHA_256 only, and so on.
    if (!algorithm.toString().equals("HMAC_SHA_" + key.spec.toString().substring(5))) {
      throw error(
          InvalidKeyUsageException.builder(),
          "InvalidKeyUsageException",
          "MAC algorithm " + algorithm + " is not compatible with key spec " + key.spec + ".");
    }
  }

  private static byte[] hmac(EmulatedKey key, MacAlgorithmSpec algorithm, byte[] message) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance(jcaMac(algorithm));
      mac.init(key.secret);
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("emulator KMS HMAC failed", e);
    }
  }

  private static String jcaMac(MacAlgorithmSpec algorithm) {
    return "HmacSHA" + algorithm.toString().substring("HMAC_SHA_".length());
  }

  private static javax.crypto.SecretKey generateSecret(KeySpec spec) {
    try {
      String bits = spec.toString().substring("HMAC_".length());
      javax.crypto.KeyGenerator g = javax.crypto.KeyGenerator.getInstance("HmacSHA" + bits);
      g.init(Integer.parseInt(bits));
      return g.generateKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private EmulatedKey usable(String keyId) {
    EmulatedKey key = resolve(keyId);
    if (key.state == KeyState.DISABLED) {
      throw error(DisabledException.builder(), "DisabledException", key.arn + " is disabled.");
    }
    if (key.state != KeyState.ENABLED) {
      throw error(
          KmsInvalidStateException.builder(),
          "KMSInvalidStateException",
          key.arn + " is pending deletion.");
    }
    return key;
  }

  private EmulatedKey resolve(String keyId) {
    if (keyId == null || keyId.isEmpty()) {
      throw validation(
          "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    }
    String id = keyId;
    String aliasPrefix = "arn:aws:kms:" + region + ":" + account + ":";
    if (id.startsWith(aliasPrefix + "alias/")) {
      id = id.substring(aliasPrefix.length());
    }
    if (id.startsWith("alias/")) {
      String target = aliases.get(id);
      if (target == null) {
        throw error(
            NotFoundException.builder(),
            "NotFoundException",
            "Alias " + arn(id) + " is not found.");
      }
      id = target;
    }
    if (id.startsWith(aliasPrefix + "key/")) {
      id = id.substring((aliasPrefix + "key/").length());
    }
    EmulatedKey key = keys.get(id);
    if (key == null) {
      throw error(
          NotFoundException.builder(),
          "NotFoundException",
          "Key '" + arn("key/" + id) + "' does not exist");
    }
    return key;
  }

  private static void checkAlgorithm(EmulatedKey key, SigningAlgorithmSpec algorithm) {
    if (key.usage != KeyUsageType.SIGN_VERIFY) {
      throw error(
          InvalidKeyUsageException.builder(),
          "InvalidKeyUsageException",
          "You cannot perform this operation on a KMS key with KeyUsage " + key.usage + ".");
    }
    if (algorithm == null || !supported(key.spec).contains(algorithm)) {
      throw error(
          InvalidKeyUsageException.builder(),
          "InvalidKeyUsageException",
          "Signing algorithm " + algorithm + " is not compatible with key spec " + key.spec + ".");
    }
  }

  private static byte[] message(
      SdkBytes message, MessageType type, SigningAlgorithmSpec algorithm) {
    byte[] bytes = message == null ? null : message.asByteArray();
    if (bytes == null || bytes.length == 0) {
      throw validation(
          "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
    if (type == MessageType.DIGEST) {
      if (bytes.length != 32) {
        throw validation("Digest is invalid length for algorithm " + algorithm + ".");
      }
      return bytes;
    }
    if (bytes.length > MAX_RAW_MESSAGE) {
      throw validation(
          "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096");
    }
    return bytes;
  }

  private static List<SigningAlgorithmSpec> supported(KeySpec spec) {
    return switch (spec) {
      case ECC_NIST_P256 -> List.of(SigningAlgorithmSpec.ECDSA_SHA_256);
      case RSA_2048, RSA_3072, RSA_4096 ->
          List.of(
              SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256,
              SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384,
              SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_512,
              SigningAlgorithmSpec.RSASSA_PSS_SHA_256,
              SigningAlgorithmSpec.RSASSA_PSS_SHA_384,
              SigningAlgorithmSpec.RSASSA_PSS_SHA_512);
      default -> List.of();
    };
  }

  private static KeyPair generate(KeySpec spec) {
    try {
      return switch (spec) {
        case ECC_NIST_P256 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
          g.initialize(new ECGenParameterSpec("secp256r1"));
          yield g.generateKeyPair();
        }
        case RSA_2048, RSA_3072, RSA_4096 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(Integer.parseInt(spec.toString().substring(4)));
          yield g.generateKeyPair();
        }
        default ->
            throw new UnsupportedOperationException(
                "KmsEmulator does not implement key spec " + spec);
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Signature pss() throws GeneralSecurityException {
    Signature s = Signature.getInstance("RSASSA-PSS");
    s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    return s;
  }

  /** PSS over a precomputed SHA-256 (KMS MessageType=DIGEST). */
  private static PSSSigner rawPss() {
    return PSSSigner.createRawSigner(
        new RSABlindedEngine(),
        new SHA256Digest(),
        new SHA256Digest(),
        32,
        PSSSigner.TRAILER_IMPLICIT);
  }

  private String arn(String resource) {
    return "arn:aws:kms:" + region + ":" + account + ":" + resource;
  }

  private static KmsException validation(String message) {
    return (KmsException)
        KmsException.builder()
            .message(message)
            .statusCode(400)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("ValidationException")
                    .errorMessage(message)
                    .serviceName("Kms")
                    .build())
            .build();
  }

  private static KmsException error(KmsException.Builder builder, String code, String message) {
    return (KmsException)
        builder
            .message(message)
            .statusCode(400)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(code)
                    .errorMessage(message)
                    .serviceName("Kms")
                    .build())
            .build();
  }

  /** SHA-256 of {@code message}: what a KMS caller sends with MessageType=DIGEST. */
  public static byte[] sha256(byte[] message) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class EmulatedKey {
    final String id;
    final String arn;
    final KeySpec spec;
    final KeyUsageType usage;
    final KeyPair keyPair;
    final javax.crypto.SecretKey secret;
    volatile KeyState state = KeyState.ENABLED;

    EmulatedKey(
        String id,
        String arn,
        KeySpec spec,
        KeyUsageType usage,
        KeyPair keyPair,
        javax.crypto.SecretKey secret) {
      this.id = id;
      this.arn = arn;
      this.spec = spec;
      this.usage = usage;
      this.keyPair = keyPair;
      this.secret = secret;
    }
  }
}
